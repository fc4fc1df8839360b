namespace EcomGo.AppHost.Infrastructure.Garnet;

/// <summary>
/// Garnet, Microsoft's Redis-compatible server in .NET, run from its tool package as a separate process so it
/// can be stopped and started from the dashboard like a container would be. EcomGo uses only commands Redis and
/// Garnet both serve (no Streams, no Lua).
/// </summary>
public sealed class GarnetResource(string name, string workingDirectory)
    : ExecutableResource(name, "dotnet", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
