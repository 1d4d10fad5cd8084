file(REMOVE_RECURSE
  "CMakeFiles/fbpinn.dir/source/driver.cc.o"
  "CMakeFiles/fbpinn.dir/source/driver.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/mesh/triangulation_factory.cc.o"
  "CMakeFiles/fbpinn.dir/source/mesh/triangulation_factory.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/methods/fem.cc.o"
  "CMakeFiles/fbpinn.dir/source/methods/fem.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/methods/interface.cc.o"
  "CMakeFiles/fbpinn.dir/source/methods/interface.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/parameters.cc.o"
  "CMakeFiles/fbpinn.dir/source/parameters.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/plugins.cc.o"
  "CMakeFiles/fbpinn.dir/source/plugins.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/postprocess/error_evaluation.cc.o"
  "CMakeFiles/fbpinn.dir/source/postprocess/error_evaluation.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/postprocess/metrics.cc.o"
  "CMakeFiles/fbpinn.dir/source/postprocess/metrics.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/postprocess/output.cc.o"
  "CMakeFiles/fbpinn.dir/source/postprocess/output.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/problems/helmholtz.cc.o"
  "CMakeFiles/fbpinn.dir/source/problems/helmholtz.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/problems/interface.cc.o"
  "CMakeFiles/fbpinn.dir/source/problems/interface.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/problems/multiscale_laplace.cc.o"
  "CMakeFiles/fbpinn.dir/source/problems/multiscale_laplace.cc.o.d"
  "CMakeFiles/fbpinn.dir/source/problems/poisson.cc.o"
  "CMakeFiles/fbpinn.dir/source/problems/poisson.cc.o.d"
  "libfbpinn.pdb"
  "libfbpinn.so"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/fbpinn.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
