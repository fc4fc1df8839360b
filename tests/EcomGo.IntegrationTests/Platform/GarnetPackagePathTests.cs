using System.Diagnostics;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// Local mode runs Garnet from the garnet-server package in the NuGet package folder. CI caches often set
/// NUGET_PACKAGES without a trailing slash, and MSBuild's NuGetPackageRoot then has none either: the AppHost must
/// still find GarnetServer.dll (it used to look in '.../nugetgarnet-server/...').
/// </summary>
public sealed class GarnetPackagePathTests
{
    [Fact]
    public async Task The_garnet_server_path_is_found_when_the_package_root_has_no_trailing_slash()
    {
        var packageRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var withoutSlash = packageRoot.TrimEnd('/', '\\');

        // Evaluate (not build) the AppHost project as MSBuild would with that package root.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "msbuild", Path.Combine(RepositoryPaths.Root, "AppHost", "AppHost.csproj"),
                "-getItem:AssemblyMetadata", $"-p:NuGetPackageRoot={withoutSlash}", "-nologo", "-nodeReuse:false",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["MSBUILDDISABLENODEREUSE"] = "1" },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        Assert.True(process.ExitCode == 0, $"msbuild failed: {await stdout}{stderr}");

        using var json = JsonDocument.Parse(await stdout);
        var serverDll = json.RootElement.GetProperty("Items").GetProperty("AssemblyMetadata").EnumerateArray()
            .Single(item => item.GetProperty("Identity").GetString() == "GarnetServerDll")
            .GetProperty("Value").GetString()!;

        Assert.StartsWith(withoutSlash + Path.DirectorySeparatorChar + "garnet-server", serverDll);
        Assert.True(File.Exists(serverDll), $"'{serverDll}' does not exist (package root '{withoutSlash}')");
    }
}
