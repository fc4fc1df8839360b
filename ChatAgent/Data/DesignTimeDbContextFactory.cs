using EcomGo.ServiceDefaults.Data;

namespace EcomGo.ChatAgent.Data;

public sealed class DesignTimeDbContextFactory() : ServiceDesignTimeDbContextFactory<ChatDbContext>(ChatDbContext.Schema);
