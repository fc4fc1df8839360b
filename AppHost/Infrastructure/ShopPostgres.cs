namespace EcomGo.AppHost.Infrastructure;

/// <summary>
/// The PostgreSQL both modes run. Local mode's PGlite (0.5.14) is PostgreSQL 18.6 with pgvector 0.8; containers mode runs
/// the pgvector image of the same major, so SQL, catalogs and extension behaviour do not differ between the two.
/// </summary>
public static class ShopPostgres
{
    /// <summary>PostgreSQL major version of PGlite and of the pgvector image.</summary>
    public const string MajorVersion = "18";

    public const string PgvectorImage = "pgvector/pgvector";

    /// <summary>Pinned (a bare "pg18" moves under us); the major must stay <see cref="MajorVersion"/>.</summary>
    public const string PgvectorTag = "0.8.1-pg" + MajorVersion;

    /// <summary>
    /// PostgreSQL 18 images keep PGDATA in a versioned folder below /var/lib/postgresql and refuse to start with a mount at
    /// the old /var/lib/postgresql/data, so the data volume goes one level up.
    /// </summary>
    public const string DataVolumePath = "/var/lib/postgresql";
}
