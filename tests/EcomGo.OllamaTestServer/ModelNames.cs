using System.Collections;
using System.Collections.Concurrent;

namespace EcomGo.OllamaTestServer;

/// <summary>Ollama model-name rules: "x" and "x:latest" are the same model; names compare case-insensitively.</summary>
public static class ModelNames
{
    /// <summary>The canonical form: lower case, with ":latest" when no tag is given.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim().ToLowerInvariant();
        var lastSlash = trimmed.LastIndexOf('/');
        return trimmed.IndexOf(':', lastSlash + 1) >= 0 ? trimmed : trimmed + ":latest";
    }

    /// <summary>True when both names denote the same model.</summary>
    public static bool AreSame(string a, string b) => Normalize(a) == Normalize(b);

    /// <summary>True for names of embedding models (all-minilm, nomic-embed-text, mxbai-embed-large, ...).</summary>
    public static bool IsEmbeddingModel(string name)
    {
        var n = name.ToLowerInvariant();
        return n.Contains("minilm", StringComparison.Ordinal) || n.Contains("embed", StringComparison.Ordinal);
    }
}

/// <summary>A thread-safe set of installed model names, keyed by <see cref="ModelNames.Normalize"/>.</summary>
internal sealed class ModelCollection : ICollection<string>
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    public int Count => _names.Count;

    public bool IsReadOnly => false;

    public void Add(string item) => _names.TryAdd(ModelNames.Normalize(item), item);

    public void Clear() => _names.Clear();

    public bool Contains(string item) => item is not null && _names.ContainsKey(ModelNames.Normalize(item));

    public void CopyTo(string[] array, int arrayIndex) => _names.Values.ToArray().CopyTo(array, arrayIndex);

    public bool Remove(string item) => item is not null && _names.TryRemove(ModelNames.Normalize(item), out _);

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_names.Values.ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Canonical names ("x:latest") of the installed models, sorted.</summary>
    public string[] CanonicalNames() => _names.Keys.Order(StringComparer.Ordinal).ToArray();
}
