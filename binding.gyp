{
  "targets": [
    {
      "target_name": "node_unit_native",
      "conditions": [["OS!='linux'", { "type": "none" }]],
      "sources": ["native/pipe.c", "native/reader.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
