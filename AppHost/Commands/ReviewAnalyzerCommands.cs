using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace EcomGo.AppHost.Commands;

/// <summary>
/// Dashboard commands on the review-analyzer resource: re-queue stored sentiment results (all of them, or those made by
/// an older model, model digest or prompt) through the service's <c>POST /api/reanalysis</c>, then follow the progress
/// (<c>GET /api/reanalysis</c>) in the resource's console log and its "Re-analysis" property until the queue is empty.
/// </summary>
public static class ReviewAnalyzerCommands
{
    /// <summary>How long a command follows the progress before leaving the rest to run in the background.</summary>
    private static readonly TimeSpan s_followFor = TimeSpan.FromMinutes(10);

    public const string ReanalyzeOutdated = "reanalyze-outdated";
    public const string ReanalyzeAll = "reanalyze-all";

    /// <param name="serviceKey">The service key the review-analyzer's API requires.</param>
    public static IResourceBuilder<ProjectResource> WithReanalysisCommands(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> serviceKey)
    {
        var endpoint = builder.GetEndpoint("http");
        builder.WithCommand(ReanalyzeOutdated, "Re-analyse outdated reviews",
            context => ReanalyseAsync(builder.Resource, endpoint, serviceKey.Resource, "outdated", context),
            new CommandOptions
            {
                Description = "Re-queue reviews analysed by an older model, model digest or prompt version, and follow the progress.",
                IconName = "ArrowSync",
                UpdateState = Healthy,
                Progress = new CommandProgressOptions { Title = "Re-analysis", Message = "Re-analysing reviews made by an older model or prompt… (progress in the console log)" },
            });
        builder.WithCommand(ReanalyzeAll, "Re-analyse all reviews",
            context => ReanalyseAsync(builder.Resource, endpoint, serviceKey.Resource, "all", context),
            new CommandOptions
            {
                Description = "Re-queue every analysed review for the current model and prompt, and follow the progress.",
                IconName = "ArrowClockwise",
                UpdateState = Healthy,
                ConfirmationMessage = "Re-analyse every review? With an LLM this takes a while.",
                Progress = new CommandProgressOptions { Title = "Re-analysis", Message = "Re-analysing all reviews… (progress in the console log)" },
            });
        return builder;
    }

    private static ResourceCommandState Healthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> ReanalyseAsync(
        ProjectResource resource, EndpointReference endpoint, ParameterResource serviceKey, string scope, ExecuteCommandContext context)
    {
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await serviceKey.GetValueAsync(context.CancellationToken));
            using var response = await http.PostAsJsonAsync("/api/reanalysis", new { scope }, context.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return CommandResults.Failure($"The review-analyzer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.CancellationToken)}");
            }

            var status = await response.Content.ReadFromJsonAsync<ReanalysisStatus>(context.CancellationToken);
            var requested = status?.Requested ?? 0;
            logger.LogInformation("Re-analysis ({Scope}) requested from the dashboard: {Requested} review(s) queued", scope, requested);
            var deadline = DateTime.UtcNow + s_followFor;
            var remaining = status?.Remaining ?? 0;
            while (remaining > 0 && DateTime.UtcNow < deadline)
            {
                await Publish(notifications, resource, $"{requested - remaining} of {requested} done");
                await Task.Delay(TimeSpan.FromSeconds(2), context.CancellationToken);
                status = await http.GetFromJsonAsync<ReanalysisStatus>("/api/reanalysis", context.CancellationToken);
                if (status is not null && status.Remaining != remaining)
                {
                    remaining = status.Remaining;
                    logger.LogInformation("Re-analysis: {Done} of {Requested} done", requested - remaining, requested);
                }
            }

            var summary = remaining == 0
                ? $"Re-analysed {requested} review(s) with {status?.CurrentModel} (prompt {status?.PromptVersion})."
                : $"{requested - remaining} of {requested} re-analysed; the other {remaining} continue in the background.";
            await Publish(notifications, resource, summary);
            logger.LogInformation("{Summary}", summary);
            return CommandResults.Success(summary);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.CancellationToken.IsCancellationRequested)
        {
            return CommandResults.Failure($"The review-analyzer could not be reached: {e.Message}");
        }
    }

    private static Task Publish(ResourceNotificationService notifications, IResource resource, string progress) =>
        notifications.PublishUpdateAsync(resource, s => s with
        {
            Properties = [.. s.Properties.Where(p => p.Name != "ecomgo.reanalysis"), new ResourcePropertySnapshot("ecomgo.reanalysis", progress) { DisplayName = "Re-analysis" }],
        });

    private sealed record ReanalysisStatus(string? Scope, int Requested, int Remaining, string CurrentModel, string? CurrentModelDigest, string PromptVersion);
}
