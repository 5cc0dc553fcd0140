{
  "targets": [
    {
      "target_name": "node_unit_native",
      "conditions": [["OS!='linux'", { "type": "none" }]],
      "sources": ["native/pipe.c", "native/reader.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "node_unit_exec",
      "conditions": [["OS!='linux'", { "type": "none" }]],
      "sources": ["native/exec.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "node-unit-init",
      "type": "executable",
      "conditions": [["OS!='linux'", { "type": "none" }]],
      "sources": ["native/init.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
