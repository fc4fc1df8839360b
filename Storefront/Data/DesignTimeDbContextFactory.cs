using EcomGo.ServiceDefaults.Data;

namespace EcomGo.Storefront.Data;

public sealed class DesignTimeDbContextFactory()
    : ServiceDesignTimeDbContextFactory<StorefrontDbContext>(StorefrontDbContext.Schema, StorefrontDbContext.ConfigureNpgsql);
