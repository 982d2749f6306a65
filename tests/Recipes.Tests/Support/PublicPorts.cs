using System.Net;
using System.Net.Sockets;

namespace Recipes.Tests.Support;

/// <summary>
/// Public ports for test environments, below the OS's ephemeral range (32768 and up on Linux): the routers' admin
/// ports and the releases get ports the OS picks from that range, so an environment's port chosen there could be
/// handed to one of them before its router binds it.
/// </summary>
internal static class PublicPorts
{
    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 30_000);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 29999.");
    }
}
