// The floor of an open model on this machine, for bench/README.md: one thread that sleeps until each start with an
// absolute clock_nanosleep and then sends a keep-alive GET and blocks in recv for the answer. That is one timer wake-up
// and one network wake-up per request, the least any open-model generator can do. Prints the CPU per request.
// Build and run against the bench nginx: gcc -O2 -o /tmp/open-floor bench/open-floor.c && taskset -c 0 /tmp/open-floor PORT RATE SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int port = atoi(argv[1]); double rate = atof(argv[2]); double secs = atof(argv[3]);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (void *)&a, sizeof a)) { perror("connect"); return 1; }
    int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char *req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"; char buf[4096];
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    long n = (long)(rate * secs); long step = (long)(1e9 / rate);
    for (long i = 0; i < n; i++) {
        t.tv_nsec += step; while (t.tv_nsec >= 1000000000) { t.tv_nsec -= 1000000000; t.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        send(fd, req, strlen(req), 0);
        recv(fd, buf, sizeof buf, 0);
    }
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    double cpu = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
    printf("rate %.0f: %.1f%% of a core, %.1f us per request (sys %.0f%%)\n", rate, cpu / secs * 100, cpu / n * 1e6,
           (u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6) / cpu * 100);
    return 0;
}
