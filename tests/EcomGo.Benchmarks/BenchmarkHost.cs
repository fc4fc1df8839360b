namespace EcomGo.Benchmarks;

internal static class BenchmarkHost
{
    /// <summary>The AppHost's own and its resources' logs stay out of the console, where the figures go.</summary>
    public static readonly string[] QuietLogging = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Polly=Warning"];
}
