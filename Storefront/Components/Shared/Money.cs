using System.Globalization;

namespace EcomGo.Storefront.Components.Shared;

public static class Money
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    public static string Format(decimal amount) => amount.ToString("C", Culture);

    public static string Date(DateTimeOffset moment) => moment.ToString("MMM d, yyyy", Culture);

    public static string DateTime(DateTimeOffset moment) => moment.ToString("MMM d, yyyy HH:mm", Culture);
}
