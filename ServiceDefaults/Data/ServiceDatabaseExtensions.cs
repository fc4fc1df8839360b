using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Hosting;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace EcomGo.ServiceDefaults.Data;

/// <summary>
/// Every service keeps its data in its own schema of the shared <c>shopdb</c> database, with its own EF
/// migrations history table, and migrates (and optionally seeds) it at start-up.
/// </summary>
public static class ServiceDatabaseExtensions
{
    public const string ConnectionName = "shopdb";

    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string schema,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed = null)
        where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(ConnectionName, configureDbContextOptions: options =>
            options.UseNpgsql(npgsql => ConfigureNpgsql(npgsql, schema, configureNpgsql)));
        builder.Services.AddMigration(seed);
        return builder;
    }

    internal static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql, string schema, Action<NpgsqlDbContextOptionsBuilder>? configure)
    {
        npgsql.MigrationsHistoryTable("__EFMigrationsHistory", schema);
        configure?.Invoke(npgsql);
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build a service's model without a running database.</summary>
public abstract class ServiceDesignTimeDbContextFactory<TContext>(string schema, Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
    : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql("Host=localhost;Database=design", npgsql => ServiceDatabaseExtensions.ConfigureNpgsql(npgsql, schema, configureNpgsql))
            .Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }
}
