// exec(file, argv): replaces the Node process with another program (execv(2)), which Node 20 cannot do
// itself. `node-unit up` uses it when it is PID 1 to put node-unit-init (init.c) in its place.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <node_api.h>

static char *string_arg(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *text = malloc(length + 1);
  if (text && napi_get_value_string_utf8(env, value, text, length + 1, &length) != napi_ok) {
    free(text);
    return NULL;
  }
  return text;
}

/** Node opens stdin, stdout and stderr close-on-exec (and some non-blocking): the new program gets them as a shell would give them. */
static void keep_stdio(void) {
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    int status = fcntl(fd, F_GETFL);
    if (status >= 0) fcntl(fd, F_SETFL, status & ~O_NONBLOCK);
  }
}

static napi_value exec_file(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  uint32_t count = 0;
  bool is_array = false;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 2 || napi_is_array(env, args[1], &is_array) != napi_ok ||
      !is_array || napi_get_array_length(env, args[1], &count) != napi_ok || count == 0) {
    napi_throw_type_error(env, NULL, "exec(file: string, argv: string[])");
    return NULL;
  }
  char *file = string_arg(env, args[0]);
  char **argv = calloc(count + 1, sizeof(char *));
  int ok = file != NULL && argv != NULL;
  for (uint32_t i = 0; ok && i < count; i++) {
    napi_value item;
    ok = napi_get_element(env, args[1], i, &item) == napi_ok && (argv[i] = string_arg(env, item)) != NULL;
  }
  if (!ok) {
    napi_throw_type_error(env, NULL, "exec: file and every argument must be strings");
  } else {
    keep_stdio();
    execv(file, argv);
    char message[256];
    snprintf(message, sizeof message, "execv %s: %s", file, strerror(errno));
    napi_throw_error(env, NULL, message);
  }
  for (uint32_t i = 0; argv && i < count; i++) free(argv[i]);
  free(argv);
  free(file);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "exec", NAPI_AUTO_LENGTH, exec_file, NULL, &fn);
  napi_set_named_property(env, exports, "exec", fn);
  return exports;
}
