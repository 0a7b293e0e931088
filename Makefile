# For people who have make: every target is a command of ./run (which needs only bash and apt; see README.md).
.PHONY: deps demo test build release package bench format clean
demo test build release package bench format:
	./run $@
deps:
	./scripts/install-deps.sh
clean:
	rm -rf build
