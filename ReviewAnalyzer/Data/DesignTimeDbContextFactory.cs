using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EcomGo.ReviewAnalyzer.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ReviewsDbContext>
{
    public ReviewsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ReviewsDbContext>()
        .UseNpgsql("Host=localhost;Database=design", npgsql =>
        {
            npgsql.MigrationsHistoryTable("__EFMigrationsHistory", ReviewsDbContext.Schema);
        })
        .Options);
}
