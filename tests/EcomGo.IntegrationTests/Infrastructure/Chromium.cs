using System.Diagnostics;

namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// Finds the Chromium the browser tests drive. Playwright's own browser download is not reachable on the build
/// machines, so we use the distribution's Chromium: ECOMGO_CHROMIUM_PATH, else a Chromium/Chrome on the usual paths,
/// else (as root on Debian/Ubuntu, like CI) apt-get installs it once.
/// </summary>
public static class Chromium
{
    private static readonly string[] s_candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly Lazy<string> s_path = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Flags for a headless run on a machine with no network beyond loopback and no GPU.</summary>
    public static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public static string ExecutablePath => s_path.Value;

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("ECOMGO_CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"ECOMGO_CHROMIUM_PATH points to '{configured}', which does not exist.");
        }

        var found = s_candidates.FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        if (OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            Run("apt-get", "update -qq");
            Run("apt-get", "install -y -qq chromium");
            if (File.Exists(s_candidates[0]))
            {
                return s_candidates[0];
            }
        }

        throw new InvalidOperationException(
            "The browser tests need Chromium. Install it (Debian/Ubuntu: 'sudo apt-get install chromium') " +
            "or set ECOMGO_CHROMIUM_PATH to a Chromium or Chrome executable.");
    }

    private static void Run(string fileName, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            UseShellExecute = false,
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        })!;
        process.WaitForExit(TimeSpan.FromMinutes(10));
    }
}
