using EcomGo.ChatAgent.Apis;
using EcomGo.ChatAgent.Evaluation;
using EcomGo.ChatAgent.Extensions;
using EcomGo.ServiceDefaults.Http;

// dotnet run --project ChatAgent -- evaluate [--scenarios file] [--repeat k] [--report file.json]
if (args is ["evaluate", ..])
{
    return await EvaluationCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // conversations, models, tools, limits

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapChatApi();                 // /api/chat: turns (SSE or JSON) and conversations, for the Storefront only

app.Run();
return 0;
