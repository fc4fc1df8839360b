namespace EcomGo.Benchmarks;

/// <summary>Resident memory of the ChatAgent process the AppHost started (Linux /proc), e.g. "182 MB".</summary>
internal static class ChatAgentMemory
{
    public static string Read()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains("ChatAgent", StringComparison.Ordinal) || commandLine.Contains("EcomGo.Benchmarks", StringComparison.Ordinal))
                {
                    continue;
                }

                var rss = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (rss is not null && long.TryParse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kilobytes))
                {
                    return $"{kilobytes / 1024} MB";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked.
            }
        }

        return "unknown (ChatAgent process not found)";
    }
}
