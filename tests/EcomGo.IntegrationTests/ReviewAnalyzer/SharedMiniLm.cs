using EcomGo.ServiceDefaults.Ai;

namespace EcomGo.IntegrationTests.ReviewAnalyzer;

/// <summary>
/// One all-MiniLM-L6-v2 generator for every ReviewAnalyzer test in this process (the ONNX model is ~350 MB and loads
/// on first use), as the service itself holds one. Never disposed: it lives as long as the test process.
/// </summary>
public static class SharedMiniLm
{
    public static MiniLmEmbeddingGenerator Instance { get; } = new();
}
