using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace EcomGo.ServiceDefaults.Http;

/// <summary>
/// Errors never carry internals, in every environment: malformed requests get a 4xx ProblemDetails with a reason,
/// anything unexpected a 500 ProblemDetails with only a request id (the exception goes to the logs and traces).
/// Replaces ASP.NET Core's Development exception page, which echoes request headers and cookies.
/// </summary>
public static class SafeErrors
{
    public static TBuilder AddSafeErrors<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<SafeExceptionHandler>();
        return builder;
    }

    /// <summary>First in every service's pipeline (before routing and the endpoints).</summary>
    public static WebApplication UseSafeErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<RequestCharsetValidation>();
        return app;
    }

    /// <summary>True for pages a browser renders (they get the shop's error page, not JSON).</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A body in a charset the JSON and form readers cannot decode (<c>application/json; charset=klingon</c>, or UTF-7,
/// which .NET refuses) would throw deep inside model binding; refuse it up front with 415 and say which charset works.
/// </summary>
internal sealed class RequestCharsetValidation(RequestDelegate next)
{
    private static readonly HashSet<string> s_supported = new(StringComparer.OrdinalIgnoreCase)
    {
        "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be", "iso-8859-1", "latin1",
    };

    public Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return next(context);
        }

        var charset = mediaType.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset) || s_supported.Contains(charset))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported charset",
                Detail = $"The request body's charset '{Shorten(charset)}' is not supported: send UTF-8.",
            },
        }).AsTask();
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>Maps exceptions to ProblemDetails without stack traces; page requests are left to the UI's error page.</summary>
internal sealed class SafeExceptionHandler(IProblemDetailsService problems, ILogger<SafeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", "The request could not be read: check its body, content type and parameters."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong", "An unexpected error occurred. Please try again in a moment."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogInformation("Bad request for {Method} {Path}: {Message}", context.Request.Method, context.Request.Path, exception.Message);
        }

        if (status >= 500 && SafeErrors.IsPageRequest(context.Request))
        {
            return false; // the UI's error page (or an empty 500), never the exception
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = null, // never serialise the exception
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
