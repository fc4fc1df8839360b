namespace EcomGo.AppHost.Infrastructure.PGlite;

/// <summary>
/// PostgreSQL 18 + pgvector compiled to WASM (PGlite), served over TCP by our own Node script
/// (<c>server/server.mjs</c>), for machines without a container runtime. Containers mode runs the same major
/// (<see cref="PostgresMajorVersion"/>).
/// </summary>
public sealed class PGliteServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "node", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    /// <summary>The PostgreSQL major version PGlite is built from; the pgvector image of containers mode uses the same one.</summary>
    public const string PostgresMajorVersion = ShopPostgres.MajorVersion;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    // PGlite is one shared session: pooled Npgsql connections must skip DISCARD ALL on return and never
    // prepare statements (see shared platform notes). PGlite has a single database, 'postgres'.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};" +
        $"Username=postgres;Password=postgres;Database=postgres;No Reset On Close=true;Maximum Pool Size=8;Timeout=30;Command Timeout=120");
}

/// <summary>The shop's database on a PGlite server (the one database PGlite has), named like its container counterpart.</summary>
public sealed class PGliteDatabaseResource(string name, PGliteServerResource parent)
    : Resource(name), IResourceWithParent<PGliteServerResource>, IResourceWithConnectionString
{
    public PGliteServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => Parent.ConnectionStringExpression;
}
