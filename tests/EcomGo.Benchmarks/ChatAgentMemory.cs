using EcomGo.IntegrationTests.Infrastructure;

namespace EcomGo.Benchmarks;

/// <summary>Resident memory of this run's ChatAgent process (Linux /proc), e.g. "182 MB".</summary>
internal static class ChatAgentMemory
{
    public static async Task<string> ReadAsync(AppFixture fixture)
    {
        // This AppHost's own ChatAgent (found by its service name and the run's service key), not any ChatAgent on the
        // machine; the largest resident set is the service itself rather than a launcher around it.
        var sizes = new List<long>();
        foreach (var pid in await ResourceProcesses.FindServiceAsync(fixture, "chat-agent"))
        {
            try
            {
                var rss = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (rss is not null && long.TryParse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kilobytes))
                {
                    sizes.Add(kilobytes);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked.
            }
        }

        return sizes.Count == 0 ? "unknown (ChatAgent process not found)" : $"{sizes.Max() / 1024} MB";
    }
}
