using EcomGo.ServiceDefaults.Http;
using EcomGo.Recommender.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseSafeErrors(); // 4xx/500 ProblemDetails without internals, in every environment

app.MapDefaultEndpoints();

app.Run();
