using Microsoft.Extensions.Caching.Memory;

namespace EcomGo.ChatAgent.Services;

/// <summary>The shop's manufacturer names, for the grounding check and the no-LLM search (cached: brands rarely change).</summary>
public sealed class ManufacturerDirectory(IMemoryCache cache, IServiceScopeFactory scopes, ILogger<ManufacturerDirectory> logger)
{
    public async Task<IReadOnlyList<ShopManufacturer>> GetAllAsync(CancellationToken ct)
    {
        if (cache.TryGetValue(nameof(ManufacturerDirectory), out IReadOnlyList<ShopManufacturer>? cached) && cached is not null)
        {
            return cached;
        }

        try
        {
            using var scope = scopes.CreateScope();
            var all = await scope.ServiceProvider.GetRequiredService<StorefrontCatalogClient>().GetManufacturersAsync(null, ct);
            cache.Set(nameof(ManufacturerDirectory), all, TimeSpan.FromMinutes(10));
            return all;
        }
        catch (ShopApiException e)
        {
            logger.LogWarning("Manufacturer list unavailable: {Error}", e.Message);
            return [];
        }
    }
}
