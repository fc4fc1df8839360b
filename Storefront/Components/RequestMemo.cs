using EcomGo.Storefront.Services;

namespace EcomGo.Storefront.Components;

/// <summary>
/// Shares one lookup between the components of a single request (the layout and the page both list the categories),
/// so it runs once. The first caller starts it; later callers await the same task.
/// </summary>
public static class RequestMemo
{
    public static Task<T> GetOrAddAsync<T>(this HttpContext? context, string key, Func<Task<T>> load)
    {
        if (context is null)
        {
            return load();
        }

        var itemKey = (typeof(RequestMemo), key);
        lock (context.Items)
        {
            if (context.Items.TryGetValue(itemKey, out var existing) && existing is Task<T> task)
            {
                return task;
            }

            task = load();
            context.Items[itemKey] = task;
            return task;
        }
    }

    public static Task<IReadOnlyList<CategoryInfo>> GetCategoriesOnceAsync(this HttpContext? context, ICatalogService catalog) =>
        context.GetOrAddAsync("categories", () => catalog.GetCategoriesAsync(context?.RequestAborted ?? default));
}
