using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using EcomGo.ChatAgent.Evaluation;
using EcomGo.IntegrationTests.Infrastructure;

namespace EcomGo.Benchmarks;

/// <summary>
/// Runs the shipped scenario set through the real evaluation command against the scripted test server playing a
/// deliberately naive "model": for every question it searches products with the shopper's words and lists what came
/// back. It is not a model, so its figures are a floor that checks the pipeline (scenarios load, tools run against the
/// real catalog, grounding and the scores discriminate), not a measure of any LLM; a real Ollama gives those.
/// </summary>
public static class ChatEvaluationBaseline
{
    private const string ChatModel = "llama3.1:8b";

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var repeat = args.Int("repeat", 2, 1, 10);
        var reportPath = args.String("report") ?? Path.Combine(Path.GetTempPath(), "ecomgo-chat-eval-baseline.json");
        var scenariosPath = args.String("scenarios") ?? Path.Combine(AppContext.BaseDirectory, "Evaluation", "scenarios.json");
        args.RequireAllUsed();

        var fixture = AppFixture.WithAppHostArgs(BenchmarkHost.QuietLogging);
        await fixture.InitializeAsync();
        try
        {
            var scenarios = JsonSerializer.Deserialize<EvaluationCommand.ScenarioFile>(await File.ReadAllTextAsync(scenariosPath), JsonSerializerOptions.Web)!;
            foreach (var question in scenarios.Scenarios.Select(s => s.Question).Distinct())
            {
                fixture.Ollama.Chat.WhenUserSays("^" + Regex.Escape(question) + "$").ForModel(ChatModel)
                    .CallTool("products_search", new { query = question })
                    .ThenReply(info => ListProducts(info.ToolResultValues.FirstOrDefault()));
            }

            return await EvaluationCommand.RunAsync(
            [
                "evaluate", "--scenarios", scenariosPath, "--repeat", repeat.ToString(System.Globalization.CultureInfo.InvariantCulture), "--report", reportPath,
                $"--ConnectionStrings:chat=Endpoint={fixture.Ollama.Endpoint};Model={ChatModel}",
                $"--ChatAgent:StorefrontBaseAddress={fixture.App.GetEndpoint("storefront", "http")}",
                $"--ChatAgent:ReviewAnalyzerBaseAddress={fixture.App.GetEndpoint("review-analyzer", "http")}",
                $"--ServiceAuth:Key={await fixture.GetServiceKeyAsync()}",
            ]);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    /// <summary>The naive answer: every product the search returned, with the price the tool gave.</summary>
    private static string ListProducts(string? toolResult)
    {
        if (toolResult is null)
        {
            return "Sorry, I could not search the shop just now.";
        }

        using var json = JsonDocument.Parse(toolResult);
        if (!json.RootElement.TryGetProperty("products", out var products) || products.GetArrayLength() == 0)
        {
            return "I could not find anything in the shop that matches.";
        }

        return "Here is what the shop has:\n\n" + string.Join('\n', products.EnumerateArray().Take(5).Select(p =>
            $"- [{p.GetProperty("name").GetString()}](/products/{p.GetProperty("id").GetInt32()}) {Price(p)}"));
    }

    private static string Price(JsonElement product) =>
        product.TryGetProperty("price", out var price) && price.ValueKind == JsonValueKind.Number ? $"${price.GetDecimal():0.00}" : "";
}
