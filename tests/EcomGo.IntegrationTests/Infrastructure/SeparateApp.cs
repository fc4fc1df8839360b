namespace EcomGo.IntegrationTests.Infrastructure;

/// <summary>
/// A whole app of its own for tests that need other AppHost settings than the shared app (low abuse limits, replicas).
/// Use it as the fixture of a collection with DisableParallelization, so it runs after the shared app's collections and
/// two apps never compete for the cores.
/// </summary>
public abstract class SeparateApp(IEnumerable<string> appHostArgs) : IAsyncLifetime
{
    public AppFixture App { get; } = AppFixture.WithAppHostArgs(appHostArgs);

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}
