using FestivalReservations.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Functions;

/// <summary>The one registration shared by the Functions host (Program.cs) and devhost.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddFestivalReservations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFestivalCore(configuration);
        return services;
    }
}
