using Microsoft.EntityFrameworkCore;
using EcomGo.ServiceDefaults.Data;

namespace EcomGo.Recommender.Data;

public sealed class DesignTimeDbContextFactory()
    : ServiceDesignTimeDbContextFactory<RecommenderDbContext>(RecommenderDbContext.Schema, npgsql => npgsql.UseVector());
