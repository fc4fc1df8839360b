using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EcomGo.Recommender.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RecommenderDbContext>
{
    public RecommenderDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RecommenderDbContext>()
        .UseNpgsql("Host=localhost;Database=design", npgsql =>
        {
            npgsql.UseVector();
                npgsql.MigrationsHistoryTable("__EFMigrationsHistory", RecommenderDbContext.Schema);
        })
        .Options);
}
