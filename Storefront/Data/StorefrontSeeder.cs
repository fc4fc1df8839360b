using System.Diagnostics;
using EcomGo.Storefront.Data.Seed;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SeedInteractionKind = EcomGo.Storefront.Data.Seed.InteractionKind;

namespace EcomGo.Storefront.Data;

/// <summary>
/// Fills an empty Storefront schema with the deterministic demo shop from <see cref="SeedCatalog.Create"/>: seed ids are
/// kept as database ids, day offsets are shifted onto "now" (so the promotions run now), demo shoppers become Identity
/// users with <see cref="SeedData.DemoPassword"/>, and purchases become past orders.
/// </summary>
/// <remarks>
/// Each stage is one SaveChanges (one implicit transaction) and runs only when its table is empty, so a start that
/// crashed half-way resumes where it stopped. Nothing goes to the outbox: the AI services pick up seeded data
/// through the feeds on their initial sync. Plain batched INSERTs only: COPY would kill PGlite.
/// </remarks>
public sealed class StorefrontSeeder(
    StorefrontDbContext db, UserManager<ShopUser> userManager, RoleManager<IdentityRole> roleManager, TimeProvider time, ILogger<StorefrontSeeder> logger)
{
    public static Task SeedAsync(StorefrontDbContext db, IServiceProvider services, CancellationToken cancellationToken) =>
        ActivatorUtilities.CreateInstance<StorefrontSeeder>(services, db).SeedAsync(cancellationToken);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        // Also for shops seeded before the staff role existed.
        await SeedStaffAsync(cancellationToken);
        if (await db.Orders.AnyAsync(cancellationToken) && await db.Products.AnyAsync(cancellationToken))
        {
            return; // the last stage ran: seeded before
        }

        var stopwatch = Stopwatch.StartNew();
        var seed = SeedCatalog.Create();
        // Whole minutes keep timestamps tidy; every offset is measured from this one instant.
        var now = time.GetUtcNow();
        now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        await StageAsync(db.Categories, () => seed.Categories.Select(c => new Category
        {
            Id = c.Id, Name = c.Name, Slug = c.Slug, Description = c.Description,
        }), cancellationToken);

        await StageAsync(db.Manufacturers, () => seed.Manufacturers.Select(m => new Manufacturer
        {
            Id = m.Id, Name = m.Name, Country = m.Country, Founded = m.Founded, Description = m.Description, Website = m.Website,
        }), cancellationToken);

        var makerNames = seed.Manufacturers.ToDictionary(m => m.Id, m => m.Name);
        await StageAsync(db.Products, () => seed.Products.Select(p => new Product
        {
            Id = p.Id,
            Name = p.Name,
            Description = p.Description,
            Price = p.Price,
            DiscountPercent = p.DiscountPercent,
            Stock = p.Stock,
            CategoryId = p.CategoryId,
            ManufacturerId = p.ManufacturerId,
            ManufacturerName = makerNames[p.ManufacturerId],
            Specs = new Dictionary<string, string>(p.Specs),
            // A spread of listing dates so "newest first" means something.
            CreatedAt = now.AddDays(-(p.Id * 37 % 365)),
        }), cancellationToken);

        await StageAsync(db.Promotions, () => seed.Promotions.Select(p => new Promotion
        {
            Id = p.Id,
            Name = p.Name,
            Description = p.Description,
            Kind = p.Kind == Seed.DiscountKind.Percentage ? DiscountKind.Percentage : DiscountKind.FixedAmount,
            Amount = p.Amount,
            Target = p.Target switch
            {
                Seed.PromotionTarget.Product => PromotionTarget.Product,
                Seed.PromotionTarget.Category => PromotionTarget.Category,
                _ => PromotionTarget.Manufacturer,
            },
            TargetId = p.TargetId,
            StartsAt = now.AddDays(p.StartsInDays),
            EndsAt = now.AddDays(p.EndsInDays),
        }), cancellationToken);

        var userIds = await SeedShoppersAsync(seed, cancellationToken);

        await StageAsync(db.Reviews, () => seed.Reviews.Select(r => new Review
        {
            Id = r.Id,
            ProductId = r.ProductId,
            UserId = r.ShopperId is int shopperId ? userIds[shopperId] : null,
            AuthorName = r.AuthorName,
            Rating = r.Rating,
            Title = r.Title,
            Text = r.Text,
            // Spread within the day so reviews of one day do not share a timestamp.
            CreatedAt = now.AddDays(-r.DaysAgo).AddMinutes(-(r.Id * 53 % 1440)),
        }), cancellationToken);

        await StageAsync(db.Interactions, () => seed.Interactions.Select((i, index) => new Interaction
        {
            UserId = userIds[i.ShopperId],
            ProductId = i.ProductId,
            Kind = (InteractionKind)(int)i.Kind,
            Value = i.Value,
            // Funnel order within a day: view, cart, purchase, rating.
            OccurredAt = now.AddDays(-i.DaysAgo).AddMinutes(-60 * (4 - (int)i.Kind)).AddSeconds(-(index % 60)),
        }), cancellationToken);

        await StageAsync(db.Orders, () => PastOrders(seed, userIds, now), cancellationToken);

        // Explicit ids do not advance identity sequences: move them past the seeded rows.
        foreach (var table in new[] { "Categories", "Manufacturers", "Products", "Promotions", "Reviews" })
        {
            // Table names come from the constant list above, never from input.
            var sql = $"""SELECT setval(pg_get_serial_sequence('{StorefrontDbContext.Schema}."{table}"', 'Id'), GREATEST((SELECT MAX("Id") FROM {StorefrontDbContext.Schema}."{table}"), 1))""";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }

        db.ChangeTracker.AutoDetectChangesEnabled = true;
        logger.LogInformation(
            "Seeded the demo shop in {Elapsed} ms: {Products} products, {Manufacturers} manufacturers, {Reviews} reviews, {Shoppers} shoppers, {Interactions} interactions",
            stopwatch.ElapsedMilliseconds, seed.Products.Count, seed.Manufacturers.Count, seed.Reviews.Count, seed.Shoppers.Count, seed.Interactions.Count);
    }

    private async Task StageAsync<T>(DbSet<T> set, Func<IEnumerable<T>> rows, CancellationToken cancellationToken) where T : class
    {
        if (await set.AnyAsync(cancellationToken))
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var list = rows().ToList();
        set.AddRange(list);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        logger.LogDebug("Seeded {Count} {Entity} in {Elapsed} ms", list.Count, typeof(T).Name, stopwatch.ElapsedMilliseconds);
    }

    /// <summary>Creates (or finds) the demo shoppers' accounts; returns seed shopper id -> user id.</summary>
    private async Task<Dictionary<int, string>> SeedShoppersAsync(SeedData seed, CancellationToken cancellationToken)
    {
        var existing = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.NormalizedEmail ?? "", u => u.Id, cancellationToken);
        var missing = seed.Shoppers.Where(s => !existing.ContainsKey(userManager.NormalizeEmail(s.UserName)!)).ToList();

        // Password hashing is the slow part (PBKDF2): hash in parallel, then store each user through the UserManager
        // so normalisation, security stamps and validation stay Identity's business.
        // Demo shoppers are opted in to recommendation emails: their addresses only ever reach the local mail catcher.
        var users = missing.Select(s => new ShopUser
        {
            UserName = s.UserName, Email = s.UserName, EmailConfirmed = true, DisplayName = s.DisplayName, RecommendationEmails = true,
        }).ToList();
        Parallel.ForEach(users, user => user.PasswordHash = userManager.PasswordHasher.HashPassword(user, SeedData.DemoPassword));
        foreach (var user in users)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await userManager.CreateAsync(user);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo shopper {user.Email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }

            existing[userManager.NormalizeEmail(user.Email)!] = user.Id;
        }

        db.ChangeTracker.Clear();
        return seed.Shoppers.ToDictionary(s => s.Id, s => existing[userManager.NormalizeEmail(s.UserName)!]);
    }

    /// <summary>The staff account (the email report), with the demo password; not a shopper, so no recommendation emails.</summary>
    private async Task SeedStaffAsync(CancellationToken cancellationToken)
    {
        if (!await roleManager.RoleExistsAsync(Components.Account.StaffRole.Name))
        {
            Check(await roleManager.CreateAsync(new IdentityRole(Components.Account.StaffRole.Name)), "the staff role");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (await userManager.FindByEmailAsync(Components.Account.StaffRole.DemoEmail) is null)
        {
            var staff = new ShopUser
            {
                UserName = Components.Account.StaffRole.DemoEmail, Email = Components.Account.StaffRole.DemoEmail, EmailConfirmed = true, DisplayName = "Shop staff",
            };
            Check(await userManager.CreateAsync(staff, SeedData.DemoPassword), "the staff account");
            Check(await userManager.AddToRoleAsync(staff, Components.Account.StaffRole.Name), "the staff account's role");
        }

        static void Check(IdentityResult result, string what)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }

    /// <summary>One order per shopper and purchase day, at the price the product sells for today (close enough for history).</summary>
    private static IEnumerable<Order> PastOrders(SeedData seed, Dictionary<int, string> userIds, DateTimeOffset now)
    {
        var products = seed.Products.ToDictionary(p => p.Id);
        var shoppers = seed.Shoppers.ToDictionary(s => s.Id);
        foreach (var group in seed.Interactions.Where(i => i.Kind == SeedInteractionKind.Purchase)
                     .GroupBy(i => (i.ShopperId, i.DaysAgo)).OrderBy(g => g.Key.ShopperId).ThenByDescending(g => g.Key.DaysAgo))
        {
            var (shopperId, daysAgo) = group.Key;
            var shopper = shoppers[shopperId];
            var order = new Order
            {
                UserId = userIds[shopperId],
                PlacedAt = now.AddDays(-daysAgo).AddHours(-2),
                Status = daysAgo > 7 ? OrderStatus.Delivered : daysAgo > 2 ? OrderStatus.Shipped : OrderStatus.Placed,
                ShippingName = shopper.DisplayName,
                ShippingAddress = $"{10 + shopperId * 7 % 180} Demo Street, Springfield",
            };
            foreach (var purchase in group)
            {
                var product = products[purchase.ProductId];
                order.Lines.Add(new OrderLine
                {
                    ProductId = product.Id,
                    ProductName = product.Name,
                    UnitPrice = Math.Round(product.Price * (1 - product.DiscountPercent / 100m), 2, MidpointRounding.AwayFromZero),
                    Quantity = purchase.Value,
                });
            }

            order.Total = order.Lines.Sum(l => l.UnitPrice * l.Quantity);
            yield return order;
        }
    }
}
