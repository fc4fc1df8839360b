using System.Collections.Concurrent;

namespace EcomGo.OllamaTestServer;

/// <summary>
/// How <c>POST /api/pull</c> behaves. By default a pull of any name streams progress and installs the model.
/// </summary>
public sealed class PullScript
{
    private readonly ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _blocks = new(StringComparer.Ordinal);

    /// <summary>Delay between progress lines.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Number of progress lines carrying completed/total.</summary>
    public int Steps { get; set; } = 5;

    /// <summary>
    /// A pull of this model streams <c>{"status":"pulling manifest"}</c> then <c>{"error": error}</c>
    /// (Ollama's real failure shape, HTTP 200) and does not install it.
    /// </summary>
    public void Fail(string model, string error = "pull model manifest: file does not exist") =>
        _failures[ModelNames.Normalize(model)] = error;

    /// <summary>Undoes <see cref="Fail"/> for this model.</summary>
    public void Succeed(string model) => _failures.TryRemove(ModelNames.Normalize(model), out _);

    /// <summary>Holds every pull of this model after "pulling manifest" until <see cref="Release"/>.</summary>
    public void Block(string model) =>
        _blocks.GetOrAdd(ModelNames.Normalize(model), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Lets held pulls of this model go on; later pulls are not held.</summary>
    public void Release(string model)
    {
        if (_blocks.TryRemove(ModelNames.Normalize(model), out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    /// <summary>Clears failures and releases every block.</summary>
    public void Reset()
    {
        _failures.Clear();
        foreach (var key in _blocks.Keys)
        {
            Release(key);
        }
    }

    internal string? FailureFor(string model) => _failures.TryGetValue(ModelNames.Normalize(model), out var e) ? e : null;

    internal Task WaitIfBlockedAsync(string model, CancellationToken ct) =>
        _blocks.TryGetValue(ModelNames.Normalize(model), out var tcs) ? tcs.Task.WaitAsync(ct) : Task.CompletedTask;
}
