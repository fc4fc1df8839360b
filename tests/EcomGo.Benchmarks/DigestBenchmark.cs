using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using EcomGo.IntegrationTests.Infrastructure;

namespace EcomGo.Benchmarks;

/// <summary>
/// One digest run over every opted-in demo shopper (all 56 start opted in), through the real stack: "send digests now",
/// the run composing each shopper's email (recommendations from the Recommender), the sender delivering them to the
/// local mail catcher at its bounded rate. Reports the run's time, the time until the last email was accepted, and how
/// many arrived; then a second run in the same week, which must queue nothing.
/// </summary>
public static class DigestBenchmark
{
    private sealed record RunResult(long Ticket, string Period, int OptedIn, int Queued, int AlreadyQueued, int NothingToRecommend, double Seconds);

    private sealed record RunStatus(long RequestedTicket, bool Running, RunResult? Last);

    private sealed record QueueState(int Pending, int Sent, int Failed, int Cancelled);

    private sealed record InboxPage(int RowCount, List<JsonElement> Results);

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var reportPath = args.String("report");
        args.RequireAllUsed();

        Console.WriteLine("Starting the AppHost (local mode, smtp4dev as the mail server)...");
        var fixture = AppFixture.WithAppHostArgs(BenchmarkHost.QuietLogging);
        await fixture.InitializeAsync();
        try
        {
            using var service = fixture.App.CreateHttpClient("storefront");
            service.Timeout = TimeSpan.FromMinutes(10);
            service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.GetServiceKeyAsync());
            using var inbox = new HttpClient { BaseAddress = fixture.App.GetEndpoint("mail", "http") };

            var first = await MeasureAsync(service, inbox);
            var second = await MeasureAsync(service, inbox);
            var report = new { first, second, maxPerSecond = 10 };
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            if (reportPath is not null)
            {
                await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report));
            }

            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<object> MeasureAsync(HttpClient service, HttpClient inbox)
    {
        var stopwatch = Stopwatch.StartNew();
        var response = await service.PostAsync("/api/emails/digests/send", null);
        response.EnsureSuccessStatusCode();
        var ticket = (await response.Content.ReadFromJsonAsync<RunStatus>(JsonSerializerOptions.Web))!.RequestedTicket;
        RunResult? run;
        while ((run = (await service.GetFromJsonAsync<RunStatus>("/api/emails/digests/runs", JsonSerializerOptions.Web))!.Last) is null || run.Ticket < ticket)
        {
            await Task.Delay(200);
        }

        var queuedAfter = stopwatch.Elapsed;
        QueueState queue;
        while ((queue = (await service.GetFromJsonAsync<QueueState>("/api/emails/queue", JsonSerializerOptions.Web))!).Pending > 0)
        {
            await Task.Delay(200);
        }

        var deliveredAfter = stopwatch.Elapsed;
        var received = (await inbox.GetFromJsonAsync<InboxPage>("/api/messages?pageSize=1", JsonSerializerOptions.Web))!.RowCount;
        Console.WriteLine($"digest run {run.Period}: {run.OptedIn} opted-in shoppers, {run.Queued} queued ({run.AlreadyQueued} already had it, " +
                          $"{run.NothingToRecommend} with nothing to recommend) in {queuedAfter.TotalSeconds:0.0} s (run itself {run.Seconds:0.0} s); " +
                          $"queue empty after {deliveredAfter.TotalSeconds:0.0} s; sent {queue.Sent}, failed {queue.Failed}; inbox holds {received} message(s)");
        return new
        {
            run.Period, run.OptedIn, run.Queued, run.AlreadyQueued, run.NothingToRecommend, runSeconds = run.Seconds,
            queuedSeconds = Math.Round(queuedAfter.TotalSeconds, 1), deliveredSeconds = Math.Round(deliveredAfter.TotalSeconds, 1),
            sent = queue.Sent, failed = queue.Failed, inbox = received,
        };
    }
}
