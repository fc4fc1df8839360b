using Microsoft.Extensions.Configuration;

namespace EcomGo.AppHost.Infrastructure;

public static class ServiceSettings
{
    /// <summary>
    /// Hands the AppHost's <c>{section}:*</c> configuration to the service as its own configuration, so a service setting
    /// can be given on the AppHost's command line: <c>--Storefront:AbuseLimits:Review:PerShopper=3</c> reaches the
    /// Storefront as <c>AbuseLimits:Review:PerShopper</c> (the tests start apps with their own limits this way).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsFrom(this IResourceBuilder<ProjectResource> service, IConfiguration configuration,
        string section)
    {
        foreach (var (key, value) in configuration.GetSection(section).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                service.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return service;
    }
}
