using System.Text.Json;
using EcomGo.ChatAgent.Evaluation;
using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.ChatAgent;

/// <summary>
/// The evaluation command's pipeline against the scripted model and the real catalog: one scenario the script answers
/// well and one it answers badly (an invented price), so the report must tell them apart.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EvaluationCommandTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Evaluate_reports_tool_accuracy_groundedness_and_pass_hat_k_from_real_turns()
    {
        fixture.Ollama.Chat.WhenUserSays("zqe1 trail").ForModel(ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = "trail running shoe", maxPrice = 150 })
            .ThenReply(info => ChatAgentTests.AnswerListing(info.ToolResultValues.Single()));
        fixture.Ollama.Chat.WhenUserSays("zqe2 tent").ForModel(ChatAgentClient.ChatModel)
            .CallTool("products_search", new { query = "tent" })
            .ThenReply(_ => "Our best tent costs $12,345.67.");

        var directory = Directory.CreateTempSubdirectory("ecomgo-eval-");
        var scenarios = Path.Combine(directory.FullName, "scenarios.json");
        var report = Path.Combine(directory.FullName, "report.json");
        await File.WriteAllTextAsync(scenarios, """
            { "scenarios": [
              { "id": "good", "category": "search", "question": "zqe1 trail running shoes under $150?", "expectTools": ["products_search"], "expectArgs": { "products_search": { "maxPrice": 150 } } },
              { "id": "invented-price", "category": "search", "question": "zqe2 tent please", "expectTools": ["products_search"] }
            ] }
            """);

        var exit = await EvaluationCommand.RunAsync(
        [
            "evaluate", "--scenarios", scenarios, "--repeat", "2", "--report", report,
            $"--ConnectionStrings:chat=Endpoint={fixture.Ollama.Endpoint};Model={ChatAgentClient.ChatModel}",
            $"--ChatAgent:StorefrontBaseAddress={fixture.App.GetEndpoint("storefront", "http")}",
        ]);
        Assert.Equal(0, exit);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        output.WriteLine(root.GetRawText()[..Math.Min(3000, root.GetRawText().Length)]);
        Assert.Equal(2, root.GetProperty("scenarios").GetInt32());
        Assert.Equal(1.0, root.GetProperty("toolSelectionAccuracy").GetDouble());
        Assert.Equal(1.0, root.GetProperty("argumentAccuracy").GetDouble());
        Assert.Equal(0.5, root.GetProperty("groundedness").GetDouble()); // the invented price is caught in both runs
        Assert.Equal(0.5, root.GetProperty("passHatK").GetDouble());
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(4, runs.Count);
        Assert.All(runs.Where(r => r.GetProperty("scenarioId").GetString() == "good"), r => Assert.True(r.GetProperty("passed").GetBoolean()));
        Assert.All(runs, r => Assert.True(r.GetProperty("totalMs").GetDouble() > 0));
    }
}
