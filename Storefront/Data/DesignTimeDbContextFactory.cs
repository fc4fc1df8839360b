using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EcomGo.Storefront.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<StorefrontDbContext>
{
    public StorefrontDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<StorefrontDbContext>()
        .UseNpgsql("Host=localhost;Database=design", npgsql =>
            npgsql.MigrationsHistoryTable("__EFMigrationsHistory", StorefrontDbContext.Schema))
        .Options);
}
