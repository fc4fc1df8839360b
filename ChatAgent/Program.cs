using EcomGo.ChatAgent.Apis;
using EcomGo.ChatAgent.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices(); // conversations, models, tools, limits

var app = builder.Build();

app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapChatApi();                 // /api/chat: turns (SSE or JSON) and conversations, for the Storefront only

app.Run();
