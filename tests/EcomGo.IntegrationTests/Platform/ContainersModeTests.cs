using System.Diagnostics;
using Aspire.Hosting;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcomGo.AppHost.Infrastructure;
using EcomGo.AppHost.Infrastructure.PGlite;
using EcomGo.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EcomGo.IntegrationTests.Platform;

/// <summary>
/// Containers mode cannot start on a machine without Docker, so its app model is checked without starting it: the
/// AppHost's own Program.cs builds it (Infrastructure:Mode=containers), and the manifest publisher writes it out.
/// </summary>
public sealed class ContainersModeTests
{
    private static readonly string[] Services = ["storefront", "review-analyzer", "recommender", "chat-agent"];

    [Fact]
    public async Task The_containers_app_model_has_pinned_images_volumes_health_checks_and_references()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Infrastructure:Mode=containers", "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00"],
            (options, _) => options.DisableDashboard = true);
        await using var app = await builder.BuildAsync();
        var resources = app.Services.GetRequiredService<DistributedApplicationModel>().Resources;
        IResource Get(string name) => resources.Single(r => r.Name == name);

        // Nothing runs as a local process: the infrastructure is containers, the rest are the four projects (Aspire adds a
        // hidden rebuilder executable per project, which is not infrastructure).
        Assert.DoesNotContain(resources.OfType<ExecutableResource>(), e => e is not IResourceWithParent { Parent: ProjectResource });
        Assert.Equal(Services.Order(), resources.OfType<ProjectResource>().Select(p => p.Name).Order());
        Assert.Equal(["cache", "mail", "ollama", "postgres"], resources.OfType<ContainerResource>().Select(c => c.Name).Order());

        // The database image runs the PostgreSQL major that local mode's PGlite is, with pgvector 0.8.
        var postgres = Image(Get("postgres"));
        Assert.Equal("pgvector/pgvector", postgres.Image);
        Assert.Matches(new Regex($"^0\\.8\\.\\d+-pg{PGliteServerResource.PostgresMajorVersion}$"), postgres.Tag);
        Assert.Equal("ollama/ollama", Image(Get("ollama")).Image);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+$"), Image(Get("ollama")).Tag); // pinned, never "latest"
        Assert.NotEqual("latest", Image(Get("cache")).Tag);
        Assert.Equal("rnwood/smtp4dev", Image(Get("mail")).Image);
        Assert.NotEqual("latest", Image(Get("mail")).Tag);

        // Named volumes survive a restart; PostgreSQL 18 images want theirs at /var/lib/postgresql (not .../data).
        Assert.Equal(("ecomgo-postgres-data", "/var/lib/postgresql"), Volume(Get("postgres")));
        Assert.Equal(("ecomgo-redis-data", "/data"), Volume(Get("cache")));
        Assert.Equal(("ecomgo-ollama-data", "/root/.ollama"), Volume(Get("ollama")));
        Assert.Empty(Get("ollama").Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>()); // --gpus only with Ollama:Gpu=true

        foreach (var name in new[] { "postgres", "shopdb", "cache", "ollama", "chat", "fast", "embedding" }.Concat(Services))
        {
            Assert.True(Get(name).Annotations.OfType<HealthCheckAnnotation>().Any(), $"{name} has no health check");
        }

        // Every service gets the database, the cache and the service key, and waits for the first two.
        foreach (var service in Services)
        {
            var environment = await Environment(Get(service));
            Assert.Equal("{shopdb.connectionString}", environment["ConnectionStrings__shopdb"]);
            Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
            Assert.Equal("{service-key.value}", environment["ServiceAuth__Key"]);
            Assert.Superset(new HashSet<string> { "shopdb", "cache" }, WaitsFor(Get(service)));
        }

        // Each AI service gets (and, with an Ollama in a container, waits for) the models it uses; all of them call the Storefront.
        var models = new Dictionary<string, string[]>
        {
            ["review-analyzer"] = ["fast"],
            ["recommender"] = ["embedding"],
            ["chat-agent"] = ["chat", "fast", "embedding"],
        };
        foreach (var (service, used) in models)
        {
            var environment = await Environment(Get(service));
            foreach (var model in used)
            {
                Assert.Equal($"{{{model}.connectionString}}", environment[$"ConnectionStrings__{model}"]);
            }

            Assert.Superset(used.ToHashSet(), WaitsFor(Get(service)));
            Assert.Contains("services__storefront__http__0", environment.Keys);
            Assert.Contains("storefront", WaitsFor(Get(service))); // the shop starts first, on 2 cores it answers sooner
        }

        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=llama3.2:1b",
            ((IResourceWithConnectionString)Get("fast")).ConnectionStringExpression.ValueExpression);

        // The shop calls the AI services but never waits for them (it falls back while they are down).
        var storefront = await Environment(Get("storefront"));
        Assert.Contains("services__recommender__http__0", storefront.Keys);
        Assert.Contains("services__chat-agent__http__0", storefront.Keys);
        Assert.DoesNotContain("services__review-analyzer__http__0", storefront.Keys); // sentiments arrive as events
        Assert.DoesNotContain(WaitsFor(Get("storefront")), name => Services.Contains(name));
        Assert.Contains("services__review-analyzer__http__0", (await Environment(Get("chat-agent"))).Keys);
        Assert.True(Get("storefront").TryGetEndpoints(out var endpoints) && endpoints.Any(e => e.IsExternal), "the shop has no external endpoint");
    }

    [Fact]
    public async Task Publishing_writes_a_manifest_of_containers_without_probing_the_machine()
    {
        var work = Directory.CreateTempSubdirectory("ecomgo-manifest-");
        try
        {
            // A container runtime that records being asked: publishing must not run it ('docker info' at build time).
            var probeLog = Path.Combine(work.FullName, "probed");
            var fakeRuntime = Path.Combine(work.FullName, "fake-docker");
            await File.WriteAllTextAsync(fakeRuntime, $"#!/bin/sh\necho \"$@\" >> '{probeLog}'\nexit 0\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(fakeRuntime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var manifestPath = Path.Combine(work.FullName, "manifest.json");

            var configuration = typeof(ContainersModeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    "run", "--project", Path.Combine(RepositoryPaths.Root, "AppHost", "AppHost.csproj"), "--no-build", "-c", configuration,
                    "--", "--publisher", "manifest", "--output-path", manifestPath,
                },
                WorkingDirectory = RepositoryPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Environment = { ["ASPIRE_CONTAINER_RUNTIME"] = fakeRuntime, ["Infrastructure__Mode"] = "auto" },
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"the manifest publisher did not finish within 3 minutes: {await stdout}{await stderr}");
                }
            }

            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, $"publisher exited with {process.ExitCode}: {output}");
            Assert.False(File.Exists(probeLog), $"publishing ran the container runtime: {(File.Exists(probeLog) ? await File.ReadAllTextAsync(probeLog) : "")}");
            Assert.DoesNotContain("ollama", output.Split('\n').Where(l => l.Contains("Found a running", StringComparison.Ordinal)));

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            string Type(string name) => resources[name].GetProperty("type").GetString()!;

            Assert.DoesNotContain(resources, r => r.Value.GetProperty("type").GetString()!.StartsWith("executable", StringComparison.Ordinal));
            Assert.All(Services, s => Assert.Equal("project.v0", Type(s)));
            foreach (var container in new[] { "postgres", "cache", "ollama" })
            {
                Assert.StartsWith("container.", Type(container));
                Assert.NotEmpty(resources[container].GetProperty("volumes").EnumerateArray());
            }

            Assert.EndsWith($"{ShopPostgres.PgvectorImage}:{ShopPostgres.PgvectorTag}", resources["postgres"].GetProperty("image").GetString());
            Assert.Contains(resources["postgres"].GetProperty("volumes").EnumerateArray(),
                v => v.GetProperty("name").GetString() == "ecomgo-postgres-data" && v.GetProperty("target").GetString() == ShopPostgres.DataVolumePath);
            Assert.Equal("parameter.v0", Type("service-key"));
            Assert.Contains("{ollama.bindings.http.url}", resources["chat"].GetProperty("connectionString").GetString());

            // Nothing of this machine leaks into a deployment description: no data folders or package paths.
            var text = await File.ReadAllTextAsync(manifestPath);
            Assert.DoesNotContain(".data", text);
            Assert.DoesNotContain("GarnetServer.dll", text);
            Assert.DoesNotContain("server.mjs", text);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static ContainerImageAnnotation Image(IResource resource) =>
        resource.Annotations.OfType<ContainerImageAnnotation>().Last();

    private static (string? Source, string Target) Volume(IResource resource) =>
        resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).Select(m => (m.Source, m.Target)).Single();

    private static HashSet<string> WaitsFor(IResource resource) =>
        [.. resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name)];

    // As the manifest writes them: references stay expressions ("{shopdb.connectionString}"), so no endpoint has to be allocated.
    // (Obsolete in favour of ExecutionConfigurationBuilder, which needs a running app's services; this one needs none.)
#pragma warning disable CS0618
    private static async Task<Dictionary<string, string>> Environment(IResource resource) =>
        await ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
}
