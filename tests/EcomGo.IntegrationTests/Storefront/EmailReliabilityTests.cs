using EcomGo.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EcomGo.IntegrationTests.Storefront;

/// <summary>The email queue against a real mail server that goes away, and against a server that refuses an address.</summary>
[Collection(AppCollection.Name)]
public sealed class EmailReliabilityTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Mail_server_stopped_mid_run_delays_the_email_but_does_not_lose_it()
    {
        var address = EmailKit.UniqueAddress("patient");
        using var shopper = await EmailKit.RegisterAsync(fixture, address, "Pat Patient");
        await EmailKit.SetOptInAsync(shopper, true);
        await using var db = await Db.OpenAsync(fixture);
        using var inbox = new MailCatcher(fixture);

        // Stop the mail server from the dashboard's resource commands, as a developer would.
        await StopMailAsync();
        try
        {
            var run = await EmailKit.SendDigestsAsync(fixture);
            output.WriteLine($"run while the mail server is down: {run}");

            // The sender tries, fails (the port still answers, the server does not: each attempt waits for the SMTP
            // timeout), and keeps the email queued with a later attempt scheduled.
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (await db.ScalarAsync("""SELECT COALESCE(MAX("Attempts"), 0) FROM storefront."EmailMessages" WHERE "ToAddress" = $1 AND "Status" = 'Pending'""", address) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "The sender did not try twice within 120 s while the mail server was down.");
                await Task.Delay(500);
            }

            var error = (await db.QueryAsync("""SELECT "LastError" FROM storefront."EmailMessages" WHERE "ToAddress" = $1""", r => r.GetString(0), address)).Single();
            output.WriteLine($"while down: {error}");
        }
        finally
        {
            await StartMailAsync();
        }

        var digest = await inbox.WaitForAsync(address, EmailKit.DigestSubject, EmailKit.DeliveryTimeout);
        Assert.NotEmpty(EmailKit.ProductLinks(digest));
        var row = (await db.QueryAsync("""SELECT "Status", "Attempts" FROM storefront."EmailMessages" WHERE "ToAddress" = $1""",
            r => (Status: r.GetString(0), Attempts: r.GetInt32(1)), address)).Single();
        output.WriteLine($"after restart: {row}");
        Assert.Equal("Sent", row.Status);
        Assert.True(row.Attempts >= 3, $"sent on attempt {row.Attempts}: expected failed attempts first");
        Assert.Single(await inbox.ListAsync(address));
    }

    [Fact]
    public async Task An_address_the_server_refuses_is_recorded_as_failed_and_not_retried()
    {
        // The mail catcher refuses every recipient in this domain with 550, like a real server for an unknown mailbox.
        var address = EmailKit.UniqueAddress("nobody", EcomGo.AppHost.Infrastructure.Mail.MailExtensions.RejectedDomain);
        using var shopper = await EmailKit.RegisterAsync(fixture, address, "Nob Ody");
        await EmailKit.SetOptInAsync(shopper, true);
        await EmailKit.SendDigestsAsync(fixture);
        await EmailKit.WaitForQueueDrainedAsync(fixture, EmailKit.DeliveryTimeout);

        await using var db = await Db.OpenAsync(fixture);
        var row = (await db.QueryAsync("""SELECT "Status", "Attempts", "LastError" FROM storefront."EmailMessages" WHERE "ToAddress" = $1""",
            r => (Status: r.GetString(0), Attempts: r.GetInt32(1), Error: r.GetString(2)), address)).Single();
        output.WriteLine(row.ToString());
        Assert.Equal("Failed", row.Status);
        Assert.Contains("550", row.Error);
        Assert.Equal(1, row.Attempts);

        // No attempt a while later: a permanent failure is not retried.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(row.Attempts, await db.ScalarAsync("""SELECT "Attempts" FROM storefront."EmailMessages" WHERE "ToAddress" = $1""", address));
    }

    private async Task StopMailAsync()
    {
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("mail", KnownResourceCommands.StopCommand);
        Assert.True(result.Success, $"stop mail: {result.Message}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await fixture.App.ResourceNotifications.WaitForResourceAsync("mail",
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "Stopped", timeout.Token);
    }

    private async Task StartMailAsync()
    {
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("mail", KnownResourceCommands.StartCommand);
        Assert.True(result.Success, $"start mail: {result.Message}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // Waits for running and healthy rather than WaitForResourceHealthyAsync, which gives up on the first
        // "failed to start" snapshot that a restart can publish while the old process's state is still settling.
        await fixture.App.ResourceNotifications.WaitForResourceAsync("mail",
            e => e.Snapshot.State?.Text == "Running" && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            timeout.Token);
    }
}
