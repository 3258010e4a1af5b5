"""The definitions of a notebook, and nothing else: what the probe phase loads.

From each code cell (magics turned into Python first) only these statements are
kept: imports, function definitions without decorators whose defaults are plain
values, and assignments of plain values (LABEL_ENCODING = "one_hot", EPOCHS = 10),
also inside try/if blocks made of the same. No other statement of the student's
runs before a probe calls a step function, so nothing the notebook does at top
level can reach the probes.
"""

import ast

# Attributes and subscripts too (`np.ndarray`, `tuple[int, int]` in annotations): the only objects
# of the student's here are functions and constants, so looking into one calls none of their code.
PLAIN = (ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.Set, ast.Dict,
         ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.JoinedStr, ast.FormattedValue, ast.Load, ast.operator,
         ast.unaryop, ast.boolop, ast.cmpop)


def plain(node: ast.AST | None) -> bool:
    """A value made of literals, names, attributes and operators: evaluating it calls nothing of the student's."""
    return node is None or all(isinstance(part, PLAIN) for part in ast.walk(node))


def kept(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
        return True
    if isinstance(node, ast.FunctionDef):
        arguments = node.args
        named = arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]
        annotations = [argument.annotation for argument in named if argument is not None] + [node.returns]
        return not node.decorator_list and all(map(plain, arguments.defaults + arguments.kw_defaults + annotations))
    if isinstance(node, ast.Assign):
        return all(isinstance(target, ast.Name) for target in node.targets) and plain(node.value)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and plain(node.value) and plain(node.annotation)
    if isinstance(node, ast.Try):
        handlers = [statement for handler in node.handlers for statement in handler.body]
        return all(map(kept, node.body + handlers + node.orelse + node.finalbody)) \
            and all(plain(handler.type) for handler in node.handlers)
    if isinstance(node, ast.If):
        return plain(node.test) and all(map(kept, node.body + node.orelse))
    return False


def definitions(source: str) -> ast.Module:
    """The cell's kept statements as a module (empty when the cell is not valid Python)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return ast.Module(body=[], type_ignores=[])
    return ast.Module(body=[node for node in tree.body if kept(node)], type_ignores=[])
