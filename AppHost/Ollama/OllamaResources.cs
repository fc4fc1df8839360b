using Aspire.Hosting.ApplicationModel;

namespace EcomGo.AppHost.Ollama;

/// <summary>An Ollama server, however it is provided (container, local binary, existing URL, or none at all).</summary>
public interface IOllamaServerResource : IResource
{
    /// <summary>Resolves to the server's base URL, e.g. http://localhost:11434 (empty for the unavailable placeholder).</summary>
    ReferenceExpression EndpointExpression { get; }

    /// <summary>False only for <see cref="OllamaUnavailableResource"/>.</summary>
    bool IsAvailable { get; }
}

/// <summary>Ollama in a container (docker.io/ollama/ollama).</summary>
public sealed class OllamaContainerResource(string name) : ContainerResource(name), IOllamaServerResource
{
    internal const string HttpEndpointName = "http";

    private EndpointReference? _httpEndpoint;

    /// <summary>The "http" endpoint (container port 11434).</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <inheritdoc />
    public ReferenceExpression EndpointExpression => ReferenceExpression.Create($"{HttpEndpoint.Property(EndpointProperty.Url)}");

    /// <inheritdoc />
    public bool IsAvailable => true;
}

/// <summary>A local <c>ollama serve</c> started by the AppHost.</summary>
public sealed class OllamaExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IOllamaServerResource
{
    internal const string HttpEndpointName = "http";

    private EndpointReference? _httpEndpoint;

    /// <summary>The "http" endpoint; Ollama listens on its target port (OLLAMA_HOST).</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <inheritdoc />
    public ReferenceExpression EndpointExpression => ReferenceExpression.Create($"{HttpEndpoint.Property(EndpointProperty.Url)}");

    /// <inheritdoc />
    public bool IsAvailable => true;
}

/// <summary>An Ollama server the AppHost does not run, reached at a fixed URL (a developer's Ollama, a test fake).</summary>
public sealed class OllamaEndpointResource : Resource, IOllamaServerResource
{
    /// <summary>Creates the resource.</summary>
    public OllamaEndpointResource(string name, Uri endpoint) : base(name)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The Ollama endpoint must be an absolute URL, got '{endpoint}'.", nameof(endpoint));
        }

        // Without the trailing slash, so "Endpoint=http://host:11434;Model=..." reads like Ollama's own default URL.
        BaseUrl = endpoint.ToString().TrimEnd('/');
        Endpoint = new Uri(BaseUrl);
    }

    /// <summary>The server's base URL.</summary>
    public Uri Endpoint { get; }

    internal string BaseUrl { get; }

    /// <inheritdoc />
    public ReferenceExpression EndpointExpression => ReferenceExpression.Create($"{BaseUrl}");

    /// <inheritdoc />
    public bool IsAvailable => true;
}

/// <summary>Stands in for Ollama when there is none: shows why in the dashboard, never becomes ready, blocks nothing.</summary>
public sealed class OllamaUnavailableResource(string name, string reason) : Resource(name), IOllamaServerResource
{
    /// <summary>Why there is no Ollama (shown in the dashboard).</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public ReferenceExpression EndpointExpression => ReferenceExpression.Create($"");

    /// <inheritdoc />
    public bool IsAvailable => false;
}

/// <summary>
/// A model on an Ollama server; a child of it in the dashboard. Running and healthy once the server has the model
/// (pulled on start when missing), so <c>WaitFor(model)</c> waits for the download.
/// </summary>
public sealed class OllamaModelResource(string name, string modelName, IOllamaServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<IOllamaServerResource>
{
    /// <summary>The Ollama model name, e.g. "llama3.1:8b".</summary>
    public string ModelName { get; } = ThrowIfEmpty(modelName);

    /// <inheritdoc />
    public IOllamaServerResource Parent { get; } = parent ?? throw new ArgumentNullException(nameof(parent));

    /// <summary>"Endpoint={server url};Model={model}"; just "Model={model}" when the server is unavailable.</summary>
    public ReferenceExpression ConnectionStringExpression => Parent.IsAvailable
        ? ReferenceExpression.Create($"Endpoint={Parent.EndpointExpression};Model={ModelName}")
        : ReferenceExpression.Create($"Model={ModelName}");

    private static string ThrowIfEmpty(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(modelName));
        return value;
    }
}
