using EcomGo.ServiceDefaults.Data;

namespace EcomGo.ReviewAnalyzer.Data;

public sealed class DesignTimeDbContextFactory() : ServiceDesignTimeDbContextFactory<ReviewsDbContext>(ReviewsDbContext.Schema);
