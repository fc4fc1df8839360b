namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>Paths in the source tree, found by walking up from the test output folder to the solution.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
