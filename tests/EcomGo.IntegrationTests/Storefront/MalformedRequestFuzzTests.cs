using System.Net;
using System.Text;
using System.Text.Json;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>
/// A bounded fuzz over every route of the Storefront's public OpenAPI document: malformed path and query values,
/// malformed bodies, wrong content types and unknown charsets, as a signed-in shopper. No request may get a 5xx, and no
/// error may carry internals (stack traces, exception names, request headers or cookies).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MalformedRequestFuzzTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] s_badValues = ["abc", "-1", "0", "99999999999999999999", "1.5", "%00", "'; DROP TABLE x;--", "%F0%9F%92%A9", new string('9', 400)];

    private static readonly (string ContentType, string Body)[] s_badBodies =
    [
        ("application/json", "{"),
        ("application/json", "[]"),
        ("application/json", "null"),
        ("application/json", """{"productId":"x","quantity":{},"rating":[],"email":5,"password":null,"text":true}"""),
        ("application/json", """{"productId":1e400,"quantity":-99999999999,"rating":3.7}"""),
        ("application/json", new string('[', 5000) + new string(']', 5000)),
        ("application/json; charset=klingon", """{"productId":1}"""),
        ("application/json; charset=utf-7", """{"productId":1}"""),
        ("text/plain", "productId=1"),
        ("application/x-www-form-urlencoded", "productId=abc&quantity=%%%"),
        ("application/xml", "<a/>"),
    ];

    [Fact]
    public async Task Every_public_route_answers_malformed_input_with_a_4xx_problem_and_no_internals()
    {
        using var shopper = await SignedInShopperAsync();
        using var document = JsonDocument.Parse(await shopper.Http.GetStringAsync("/openapi/v1.json"));
        var operations = (
            from path in document.RootElement.GetProperty("paths").EnumerateObject()
            from operation in path.Value.EnumerateObject()
            where operation.Name is "get" or "post" or "put" or "delete"
            select (Path: path.Name, Method: operation.Name.ToUpperInvariant(), Operation: operation.Value)).ToList();
        Assert.True(operations.Count >= 15, $"only {operations.Count} operations in the OpenAPI document");

        var failures = new List<string>();
        var requests = 0;
        foreach (var (path, method, operation) in operations)
        {
            var queryNames = Parameters(operation, "query");
            foreach (var value in s_badValues)
            {
                var url = FillPath(path, value) + (queryNames.Count == 0 ? "" : "?" + string.Join("&", queryNames.Select(q => $"{q}={value}")));
                failures.AddRange(await SendAsync(shopper.Http, method, url, null));
                requests++;
            }

            if (method is "POST" or "PUT")
            {
                foreach (var (contentType, body) in s_badBodies)
                {
                    failures.AddRange(await SendAsync(shopper.Http, method, FillPath(path, "1"), (contentType, body)));
                    requests++;
                }
            }
        }

        output.WriteLine($"{requests} malformed requests over {operations.Count} operations; {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static async Task<IEnumerable<string>> SendAsync(HttpClient http, string method, string url, (string ContentType, string Body)? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is { } b)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(b.Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", b.ContentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{method} {url[..Math.Min(url.Length, 120)]}{(body is { } x ? $" [{x.ContentType}] {x.Body[..Math.Min(x.Body.Length, 40)]}" : "")}";
        var problems = new List<string>();
        if ((int)response.StatusCode >= 500)
        {
            problems.Add($"{(int)response.StatusCode} for {what}: {text[..Math.Min(text.Length, 300)]}");
        }

        if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal)
            || text.Contains(".AspNetCore.", StringComparison.Ordinal) || text.Contains("Cookie", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"internals in the {(int)response.StatusCode} answer to {what}: {text[..Math.Min(text.Length, 300)]}");
        }

        return problems;
    }

    private static List<string> Parameters(JsonElement operation, string location) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == location).Select(p => p.GetProperty("name").GetString()!)]
            : [];

    /// <summary>Route constraints ({id:int}) make most bad path values a plain 404; that is fine, a 5xx is not.</summary>
    private static string FillPath(string path, string value) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", value);

    /// <summary>A demo shopper no other test signs in as, so the fuzz cannot disturb their carts or orders.</summary>
    private async Task<StorefrontClient> SignedInShopperAsync()
    {
        await using var db = await Db.OpenAsync(fixture);
        var emails = await db.QueryAsync("""SELECT "Email" FROM storefront."AspNetUsers" WHERE "Email" LIKE '%@demo.ecomgo.local' ORDER BY "Email" DESC LIMIT 1""",
            r => r.GetString(0));
        return await StorefrontClient.SignedInAsync(fixture, Assert.Single(emails));
    }
}
