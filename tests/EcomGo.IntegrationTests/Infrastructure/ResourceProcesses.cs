using System.Diagnostics;

namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// The operating-system processes of this test run's services, for tests that freeze or kill one as a crash or a hang
/// would. They are found by their environment: Aspire sets OTEL_SERVICE_NAME to the resource name, and the AppHost's
/// per-run service key tells this run's processes from those of another AppHost on the same machine.
/// </summary>
public static class ResourceProcesses
{
    public static async Task<IReadOnlyList<int>> FindServiceAsync(AppFixture fixture, string resource)
    {
        var key = await fixture.GetServiceKeyAsync();
        return Find(env => env.Contains($"OTEL_SERVICE_NAME={resource}") && env.Contains($"ServiceAuth__Key={key}"));
    }

    /// <summary>Processes whose environment (one "NAME=value" per entry) satisfies <paramref name="match"/>.</summary>
    public static IReadOnlyList<int> Find(Func<IReadOnlySet<string>, bool> match)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                if (match(environment))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>Sends a signal by name (STOP, CONT, KILL) with the system's kill command.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { RedirectStandardError = true })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {kill.StandardError.ReadToEnd()}");
        }
    }
}
