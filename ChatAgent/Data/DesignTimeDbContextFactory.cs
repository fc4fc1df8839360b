using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EcomGo.ChatAgent.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ChatDbContext>
{
    public ChatDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ChatDbContext>()
        .UseNpgsql("Host=localhost;Database=design", npgsql =>
        {
            npgsql.MigrationsHistoryTable("__EFMigrationsHistory", ChatDbContext.Schema);
        })
        .Options);
}
