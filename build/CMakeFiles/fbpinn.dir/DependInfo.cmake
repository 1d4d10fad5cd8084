
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/source/driver.cc" "CMakeFiles/fbpinn.dir/source/driver.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/driver.cc.o.d"
  "/work/main/source/mesh/triangulation_factory.cc" "CMakeFiles/fbpinn.dir/source/mesh/triangulation_factory.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/mesh/triangulation_factory.cc.o.d"
  "/work/main/source/methods/fem.cc" "CMakeFiles/fbpinn.dir/source/methods/fem.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/methods/fem.cc.o.d"
  "/work/main/source/methods/interface.cc" "CMakeFiles/fbpinn.dir/source/methods/interface.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/methods/interface.cc.o.d"
  "/work/main/source/parameters.cc" "CMakeFiles/fbpinn.dir/source/parameters.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/parameters.cc.o.d"
  "/work/main/source/plugins.cc" "CMakeFiles/fbpinn.dir/source/plugins.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/plugins.cc.o.d"
  "/work/main/source/postprocess/error_evaluation.cc" "CMakeFiles/fbpinn.dir/source/postprocess/error_evaluation.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/postprocess/error_evaluation.cc.o.d"
  "/work/main/source/postprocess/metrics.cc" "CMakeFiles/fbpinn.dir/source/postprocess/metrics.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/postprocess/metrics.cc.o.d"
  "/work/main/source/postprocess/output.cc" "CMakeFiles/fbpinn.dir/source/postprocess/output.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/postprocess/output.cc.o.d"
  "/work/main/source/problems/helmholtz.cc" "CMakeFiles/fbpinn.dir/source/problems/helmholtz.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/problems/helmholtz.cc.o.d"
  "/work/main/source/problems/interface.cc" "CMakeFiles/fbpinn.dir/source/problems/interface.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/problems/interface.cc.o.d"
  "/work/main/source/problems/multiscale_laplace.cc" "CMakeFiles/fbpinn.dir/source/problems/multiscale_laplace.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/problems/multiscale_laplace.cc.o.d"
  "/work/main/source/problems/poisson.cc" "CMakeFiles/fbpinn.dir/source/problems/poisson.cc.o" "gcc" "CMakeFiles/fbpinn.dir/source/problems/poisson.cc.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
