file(REMOVE_RECURSE
  "CMakeFiles/fbpinn-example-plugin.dir/example_problem.cc.o"
  "CMakeFiles/fbpinn-example-plugin.dir/example_problem.cc.o.d"
  "libfbpinn-example-plugin.pdb"
  "libfbpinn-example-plugin.so"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/fbpinn-example-plugin.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
