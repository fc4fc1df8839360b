using System.Data.Common;

namespace EcomGo.ServiceDefaults.Ai;

/// <summary>
/// A model connection string as the AppHost hands it out: <c>Endpoint=http://host:port;Model=name</c>.
/// Without an <c>Endpoint</c> there is no Ollama and the service runs in its no-LLM mode.
/// </summary>
public sealed record OllamaConnection(Uri? Endpoint, string Model)
{
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Endpoint))]
    public bool IsAvailable => Endpoint is not null;

    public static OllamaConnection Parse(string connectionName, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing. Reference the '{connectionName}' model resource from the AppHost " +
                $"or set ConnectionStrings__{connectionName}=\"Endpoint=http://localhost:11434;Model=<model>\".");
        }

        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var model = parts.TryGetValue("Model", out var m) ? m?.ToString() : null;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException($"Connection string '{connectionName}' has no Model=... part.");
        }

        Uri? endpoint = null;
        if (parts.TryGetValue("Endpoint", out var e) && !string.IsNullOrWhiteSpace(e?.ToString()))
        {
            if (!Uri.TryCreate(e.ToString(), UriKind.Absolute, out endpoint))
            {
                throw new InvalidOperationException($"Connection string '{connectionName}' has an invalid Endpoint '{e}'.");
            }
        }

        return new OllamaConnection(endpoint, model);
    }
}
