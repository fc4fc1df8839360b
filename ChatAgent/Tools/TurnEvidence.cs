using EcomGo.ChatAgent.Services;

namespace EcomGo.ChatAgent.Tools;

/// <summary>
/// Everything the tools returned during one turn: the products, prices and manufacturers the answer may mention.
/// One instance per turn (tools of concurrent turns never share it); tools may run in parallel, hence the lock.
/// </summary>
public sealed class TurnEvidence
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ShopProduct> _products = [];
    private readonly List<int> _productOrder = [];
    private readonly HashSet<decimal> _amounts = [];
    private readonly HashSet<string> _manufacturers = new(StringComparer.OrdinalIgnoreCase);

    public void AddProducts(IEnumerable<ShopProduct> products)
    {
        lock (_gate)
        {
            foreach (var product in products)
            {
                if (_products.TryAdd(product.Id, product))
                {
                    _productOrder.Add(product.Id);
                }

                _amounts.Add(product.Price.Price);
                _amounts.Add(product.Price.ListPrice);
                _amounts.Add(product.Price.Saving);
                _manufacturers.Add(product.ManufacturerName);
            }
        }
    }

    public void AddManufacturers(IEnumerable<string> names)
    {
        lock (_gate)
        {
            foreach (var name in names)
            {
                _manufacturers.Add(name);
            }
        }
    }

    /// <summary>Amounts a tool stated that are not product prices (promotion discounts, price filters the shopper gave).</summary>
    public void AddAmounts(IEnumerable<decimal> amounts)
    {
        lock (_gate)
        {
            foreach (var amount in amounts)
            {
                _amounts.Add(amount);
            }
        }
    }

    public IReadOnlyList<ShopProduct> Products
    {
        get
        {
            lock (_gate)
            {
                return _productOrder.Select(id => _products[id]).ToArray();
            }
        }
    }

    public bool HasProduct(int id)
    {
        lock (_gate)
        {
            return _products.ContainsKey(id);
        }
    }

    public bool HasAmount(decimal amount)
    {
        lock (_gate)
        {
            return _amounts.Contains(decimal.Round(amount, 2));
        }
    }

    public bool HasManufacturer(string name)
    {
        lock (_gate)
        {
            return _manufacturers.Contains(name);
        }
    }
}
