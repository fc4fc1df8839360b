using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using System.Diagnostics;

namespace EcomGo.AppHost.Infrastructure;

/// <summary>Where PostgreSQL, Redis and Ollama come from. Services never know which one is in use.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a healthy container runtime answers, else local.</summary>
    Auto,
    /// <summary>pgvector Postgres, Redis and Ollama containers (Docker or Podman).</summary>
    Containers,
    /// <summary>PGlite + pgvector (Node), Garnet (.NET) and an Ollama found by endpoint or on PATH.</summary>
    Local,
}

public static class InfrastructureModeResolver
{
    /// <summary>
    /// Reads <c>Infrastructure:Mode</c> and resolves <c>auto</c> by probing the container runtime; when publishing, <c>auto</c>
    /// means containers without a probe (a manifest describes the deployment, not the machine it was written on).
    /// </summary>
    public static InfrastructureMode Resolve(IConfiguration configuration, ILogger logger, bool isPublishMode = false)
    {
        var configured = configuration["Infrastructure:Mode"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = nameof(InfrastructureMode.Auto);
        }

        if (!Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            throw new InvalidOperationException(
                $"Infrastructure:Mode '{configured}' is not valid. Use auto, containers or local.");
        }

        if (mode != InfrastructureMode.Auto)
        {
            return mode;
        }

        if (isPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        var healthy = IsContainerRuntimeHealthy(runtime);
        logger.LogInformation(
            "Infrastructure:Mode=auto: container runtime '{Runtime}' is {State}; using {Mode} infrastructure.",
            runtime, healthy ? "healthy" : "not available", healthy ? "containers" : "local");
        return healthy ? InfrastructureMode.Containers : InfrastructureMode.Local;
    }

    // `docker info` only succeeds when a daemon answers; the client binary alone is not enough.
    private static bool IsContainerRuntimeHealthy(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
