// node-unit-init: the init `node-unit up` runs under when it finds itself PID 1 (a container, a pid namespace).
// It runs one command as its only child, forwards every signal it receives to that child, reaps every
// process that ends up as its child (orphans are re-parented to PID 1, and Node reaps only the children it
// spawned), and exits as the command did: its exit code, or 128 + the signal that killed it.
// Not PID 1 (a test, or under another init), it makes itself a child subreaper so orphans still come here.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void run_child(char **command, const sigset_t *unblocked) {
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  }
  // Its own process group: a terminal's Ctrl-C reaches the command once, not also through forwarding.
  setpgid(0, 0);
  if (isatty(STDIN_FILENO)) tcsetpgrp(STDIN_FILENO, getpid());
  sigprocmask(SIG_SETMASK, unblocked, NULL);
  execvp(command[0], command);
  fprintf(stderr, "node-unit-init: cannot run %s: %s\n", command[0], strerror(errno));
  _exit(127);
}

static int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

/** Reaps every child that has ended; true once `child` is among them. */
static int reap(pid_t child, int *status) {
  int done = 0;
  for (;;) {
    int st;
    pid_t pid = waitpid(-1, &st, WNOHANG);
    if (pid <= 0) return done;
    if (pid == child) {
      *status = st;
      done = 1;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: node-unit-init <command> [arguments...]\n");
    return 2;
  }
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  // Blocked signals are never dropped, even for PID 1; they are taken one by one with sigtimedwait.
  sigprocmask(SIG_SETMASK, &all, NULL);
  if (getpid() != 1) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  pid_t child = fork();
  if (child < 0) {
    fprintf(stderr, "node-unit-init: fork: %s\n", strerror(errno));
    return 70;
  }
  if (child == 0) run_child(argv + 1, &none);
  int status = 0;
  for (;;) {
    siginfo_t info;
    // A timeout as well as SIGCHLD: a reap is never more than a second late, whatever happens to signals.
    struct timespec tick = {1, 0};
    int sig = sigtimedwait(&all, &info, &tick);
    if (sig > 0 && sig != SIGCHLD && sig != SIGTTIN && sig != SIGTTOU && sig != SIGTSTP) kill(child, sig);
    if (reap(child, &status)) return exit_code(status);
  }
}
