#pragma once
#include <node_api.h>

napi_value watch_pipe(napi_env env, napi_callback_info info);
napi_value aligned_buffer(napi_env env, napi_callback_info info);
