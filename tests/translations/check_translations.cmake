# cmake -DLUPDATE=... -DROOT=... -DWORK=... -P check_translations.cmake
cmake_policy(SET CMP0007 NEW)
# The same sources and options as ui/CMakeLists.txt's qt_add_translations.
file(GLOB_RECURSE sources ${ROOT}/ui/*.cpp ${ROOT}/ui/*.h)
list(APPEND sources ${ROOT}/core/store/StoreModels.cpp)
set(copy ${WORK}/distillery_zh_CN.check.ts)
configure_file(${ROOT}/translations/distillery_zh_CN.ts ${copy} COPYONLY)
# Include paths as the build's update_translations target passes them: without them lupdate cannot resolve the
# class declarations and files messages under short context names the app never looks up.
execute_process(COMMAND ${LUPDATE} -no-obsolete -locations none -silent -I ${ROOT}/ui -I ${ROOT}/core ${sources}
                        -ts ${copy}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lupdate failed (${rc}): ${out}${err}")
endif()
file(READ ${copy} ts)
# Each unfinished message: its <source> line, so the failure says what to translate.
string(REGEX MATCHALL "<source>[^<]*</source>[^<]*(<comment>[^<]*</comment>[^<]*)?<translation type=\"unfinished\"" missing "${ts}")
string(REGEX MATCHALL "<message" all "${ts}")
list(LENGTH all total)
list(LENGTH missing count)
if(count GREATER 0)
  string(REPLACE ";" "\n" missing "${missing}")
  message(FATAL_ERROR "${count} of ${total} messages are not translated in translations/distillery_zh_CN.ts "
                      "(run: cmake --build build --target update_translations, then translate):\n${missing}")
endif()
message(STATUS "translations: all ${total} messages translated")
